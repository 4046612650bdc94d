/** Kept equal to package.json's version (a test checks it); reported as the tracer's version. */
export const VERSION = "0.1.0";
