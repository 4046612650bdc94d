import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { RespanOptions } from "./options.js";
import { copySpan } from "./span-copy.js";

const SERVICE_NAME = "service.name";
/** What OpenTelemetry SDKs report when nobody named the service (`unknown_service:<process>`). */
const UNNAMED_SERVICE_PREFIX = "unknown_service";

/**
 * The resource Respan sees for spans of someone else's provider: `appName` as `service.name` when
 * given, else the provider's own service name, else the default app name; `resourceAttributes`
 * on top. One merged resource per source resource, so OTLP still groups spans by resource.
 */
export function createResourceOverride(options: RespanOptions, defaultAppName: string): (span: ReadableSpan) => ReadableSpan {
  const merged = new WeakMap<Resource, Resource>();
  const resourceFor = (source: Resource): Resource => {
    let resource = merged.get(source);
    if (!resource) {
      const theirs = source.attributes[SERVICE_NAME];
      const named = typeof theirs === "string" && !theirs.startsWith(UNNAMED_SERVICE_PREFIX);
      const serviceName = options.appName ?? (named ? theirs : defaultAppName);
      resource = source.merge(resourceFromAttributes({ [SERVICE_NAME]: serviceName, ...(options.resourceAttributes ?? {}) }));
      merged.set(source, resource);
    }
    return resource;
  };
  // Its own copy of the attributes: ours to redact, theirs untouched.
  return (span) => copySpan(span, { resource: resourceFor(span.resource), attributes: { ...span.attributes } });
}
