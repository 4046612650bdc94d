export default function Home() {
  return <p>respan-tracing conformance app</p>;
}
