import './results.css';

export default function ResultsLayout({ children }: { children: React.ReactNode }) {
  return <div className="results">{children}</div>;
}
