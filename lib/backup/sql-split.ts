/**
 * Splits a pg_dump plain-text script into statements, chunk by chunk, so a restore can run it
 * through a driver without psql. It knows what pg_dump writes: quoted strings ('' escapes,
 * E'' with backslashes), quoted identifiers, dollar quotes, -- and nested block comments. psql
 * meta-commands at a statement start (pg_dump 15.14+ writes \restrict and \unrestrict) are dropped.
 */
type State = 'code' | 'single' | 'escaped' | 'double' | 'dollar' | 'line_comment' | 'block_comment';

const IDENT = /[A-Za-z0-9_]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;
/** how far ahead a token can reach (a dollar tag); chunk ends closer than this wait for more */
const LOOKAHEAD = 64;

export class SqlSplitter {
  private buf = '';
  private pos = 0;
  private start = 0;
  private state: State = 'code';
  private tag = '';
  private depth = 0;

  /** Adds text; returns the statements completed by it (each without its trailing semicolon). */
  push(text: string): string[] {
    this.buf += text;
    return this.scan(false);
  }

  /** The end of the script: returns what is left (a last statement without a semicolon). */
  end(): string[] {
    const out = this.scan(true);
    const rest = this.clean(this.buf.slice(this.start));
    if (rest) out.push(rest);
    this.buf = '';
    this.pos = this.start = 0;
    return out;
  }

  private scan(final: boolean): string[] {
    const out: string[] = [];
    const b = this.buf;
    const limit = final ? b.length : b.length - LOOKAHEAD;
    let i = this.pos;
    while (i < limit) {
      const c = b[i]!;
      switch (this.state) {
        case 'code':
          if (c === ';') {
            const stmt = this.clean(b.slice(this.start, i));
            if (stmt) out.push(stmt);
            this.start = i + 1;
          } else if (c === '\\' && this.atStatementStart(i)) {
            // a psql meta-command runs to the end of its line
            const nl = b.indexOf('\n', i);
            if (nl < 0 && !final) {
              this.pos = i;
              return this.compact(out);
            }
            i = nl < 0 ? b.length : nl;
            this.start = i;
            continue;
          } else if (c === "'") {
            this.state = i > 0 && /[eE]/.test(b[i - 1]!) && !IDENT.test(b[i - 2] ?? ' ') ? 'escaped' : 'single';
          } else if (c === '"') this.state = 'double';
          else if (c === '-' && b[i + 1] === '-') this.state = 'line_comment';
          else if (c === '/' && b[i + 1] === '*') {
            this.state = 'block_comment';
            this.depth = 1;
            i++;
          } else if (c === '$' && !IDENT.test(b[i - 1] ?? ' ')) {
            const m = DOLLAR_TAG.exec(b.slice(i, i + LOOKAHEAD));
            if (m) {
              this.state = 'dollar';
              this.tag = m[0];
              i += m[0].length;
              continue;
            }
          }
          break;
        case 'single':
          if (c === "'") {
            if (b[i + 1] === "'") i++;
            else this.state = 'code';
          }
          break;
        case 'escaped':
          if (c === '\\') i++;
          else if (c === "'") {
            if (b[i + 1] === "'") i++;
            else this.state = 'code';
          }
          break;
        case 'double':
          if (c === '"') {
            if (b[i + 1] === '"') i++;
            else this.state = 'code';
          }
          break;
        case 'dollar':
          if (c === '$' && b.startsWith(this.tag, i)) {
            i += this.tag.length;
            this.state = 'code';
            continue;
          }
          break;
        case 'line_comment':
          if (c === '\n') this.state = 'code';
          break;
        case 'block_comment':
          if (c === '*' && b[i + 1] === '/') {
            i++;
            if (--this.depth === 0) this.state = 'code';
          } else if (c === '/' && b[i + 1] === '*') {
            i++;
            this.depth++;
          }
          break;
      }
      i++;
    }
    this.pos = i;
    return this.compact(out);
  }

  /** Only whitespace and comments since the last statement ended? */
  private atStatementStart(i: number): boolean {
    return this.clean(this.buf.slice(this.start, i)) === '' && (i === 0 || this.buf[i - 1] === '\n');
  }

  /** Drops the consumed part of the buffer so memory stays at about one statement. */
  private compact(out: string[]): string[] {
    if (this.start > 0) {
      this.buf = this.buf.slice(this.start);
      this.pos -= this.start;
      this.start = 0;
    }
    return out;
  }

  /** A statement without leading comments and surrounding blanks ('' when nothing is left). */
  private clean(text: string): string {
    let t = text.trimStart();
    for (;;) {
      if (t.startsWith('--')) {
        const nl = t.indexOf('\n');
        t = nl < 0 ? '' : t.slice(nl + 1).trimStart();
      } else if (t.startsWith('/*')) {
        let depth = 0;
        let i = 0;
        for (; i < t.length; i++) {
          if (t.startsWith('/*', i)) {
            depth++;
            i++;
          } else if (t.startsWith('*/', i)) {
            depth--;
            i++;
            if (depth === 0) break;
          }
        }
        t = t.slice(i + 1).trimStart();
      } else return t.trimEnd();
    }
  }
}
