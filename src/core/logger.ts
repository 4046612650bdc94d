export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 };

/** Parses a level in any case ("warn" is accepted for WARNING); unknown values give undefined. */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (!value) return undefined;
  const upper = value.trim().toUpperCase();
  if (upper === "WARN") return "WARNING";
  return upper in RANK ? (upper as LogLevel) : undefined;
}

/**
 * The SDK's logger: levelled, prefixed, and able to say a thing only once per kind
 * (an export failure repeated every second would drown the user's own logs).
 * Every line passes through `scrub`, so a secret (the API key) can never be printed.
 */
export class Logger {
  private readonly said = new Set<string>();
  private secrets: string[] = [];

  constructor(private level: LogLevel = "WARNING") {}

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  /** Registers a value that must never appear in a log line. */
  hide(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.push(secret);
  }

  debug(message: string): void {
    this.write("DEBUG", message);
  }
  info(message: string): void {
    this.write("INFO", message);
  }
  warn(message: string): void {
    this.write("WARNING", message);
  }
  error(message: string): void {
    this.write("ERROR", message);
  }

  /** Logs `message` at `level` the first time `kind` is seen, and never again. */
  once(kind: string, level: LogLevel, message: string): void {
    if (this.said.has(kind)) return;
    this.said.add(kind);
    this.write(level, message);
  }

  private write(level: LogLevel, message: string): void {
    if (RANK[level] < RANK[this.level]) return;
    let line = `[respan-tracing] ${message}`;
    for (const secret of this.secrets) line = line.split(secret).join("[redacted]");
    const sink = level === "DEBUG" || level === "INFO" ? console.info : level === "WARNING" ? console.warn : console.error;
    try {
      sink(line);
    } catch {
      // A broken console must not break the caller.
    }
  }
}
