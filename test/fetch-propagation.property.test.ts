import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shouldPropagate } from "../src/integrations/fetch.js";

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
// The last label is alphabetic, as a top-level domain is: "a.0" would parse as a broken IPv4 address.
const topLevel = fc.stringMatching(/^[a-z]{2,6}$/);
const host = fc.tuple(fc.array(label, { maxLength: 3 }), topLevel).map(([labels, tld]) => [...labels, tld].join("."));
// "." and ".." are dot segments: the URL parser removes them, so they lead out of a path.
const pathSegment = fc.stringMatching(/^[a-zA-Z0-9._~-]{1,8}$/).filter((s) => s !== "." && s !== "..");
const path = fc.array(pathSegment, { maxLength: 3 }).map((segments) => segments.map((s) => `/${s}`).join(""));
const target = fc.tuple(fc.constantFrom("https", "http"), host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), path).map(
  ([scheme, h, port, p]) => `${scheme}://${h}${port === undefined ? "" : `:${port}`}${p}`,
);
// What an attacker can append to a configured target to make a URL that starts with its text.
const lookAlikeSuffix = fc.oneof(
  host.map((h) => `.${h}`),
  label.map((l) => `-${l}`),
  label,
  fc.integer({ min: 0, max: 99999 }).map((n) => `:${n}`),
  host.map((h) => `@${h}`),
  fc.tuple(fc.constantFrom(".", "@", ":", "-", "_", "%2e"), host).map(([sep, h]) => `${sep}${h}`),
);

const parses = (text: string) => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

describe("tracePropagationTargets (property)", () => {
  it("a URL made by appending to a target's text never matches unless it has the same origin", () => {
    fc.assert(
      fc.property(target, lookAlikeSuffix, path, (t, suffix, rest) => {
        const url = parses(`${t}${suffix}${rest}`);
        if (!url) return;
        if (shouldPropagate(url, [t])) expect(url.origin).toBe(new URL(t).origin);
      }),
      { numRuns: 2000 },
    );
  });

  it("a look-alike host (target host plus more text) never matches", () => {
    fc.assert(
      fc.property(fc.constantFrom("https", "http"), host, fc.constantFrom(".", "-", ""), label, path, (scheme, h, sep, more, p) => {
        const url = parses(`${scheme}://${h}${sep}${more}${p}`);
        if (!url || url.hostname === h) return;
        expect(shouldPropagate(url, [`${scheme}://${h}`])).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("a matching request's path is the target's path or below it on a / boundary", () => {
    fc.assert(
      fc.property(target, path, fc.constantFrom("", "x", "/", "-x", ".x"), (t, extra, glue) => {
        const url = parses(`${t}${glue}${extra}`);
        if (!url || !shouldPropagate(url, [t])) return;
        const targetPath = new URL(t).pathname.replace(/\/+$/, "");
        expect(url.pathname === targetPath || url.pathname.startsWith(`${targetPath}/`) || targetPath === "").toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("every request below a target's path on its origin matches", () => {
    fc.assert(
      fc.property(target, path, (t, below) => {
        expect(shouldPropagate(new URL(`${t}${below}`), [t])).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
