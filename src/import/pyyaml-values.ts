/**
 * YAML data as PyYAML, and so Ansible, reads it. hacloud parses YAML 1.2, where
 * a plain `yes` is text; PyYAML follows YAML 1.1, where plain yes/no/on/off
 * are booleans and `0755` is octal. The `yaml` library's own 1.1 mode is no
 * substitute: it also reads `y` and `n` as booleans, which PyYAML does not.
 * Only values change (a key `yes` stays text, as Ansible's variable names are).
 */
import { isScalar, visit } from "yaml";
import type { YamlSource } from "../spec/source.ts";

const PYYAML_TRUE = /^(?:yes|Yes|YES|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|off|Off|OFF)$/;
const PYYAML_OCTAL = /^[-+]?0[0-7_]+$/;
const MAYBE = /\b(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)\b|(?:^|[^\w.])[-+]?0[0-7]/m;

/** The source's data with plain scalars resolved as PyYAML resolves them. */
export function pyyamlData(source: YamlSource): unknown {
  // Most files have no such scalar: keep the fast path's data then.
  if (!MAYBE.test(source.text)) return source.toJS();
  const doc = source.doc.clone();
  let changed = false;
  visit(doc, {
    Scalar(key, node) {
      if (key === "key" || !isScalar(node) || node.type !== "PLAIN" || node.source === undefined) return;
      const text = node.source;
      if (PYYAML_TRUE.test(text)) node.value = true;
      else if (PYYAML_FALSE.test(text)) node.value = false;
      else if (PYYAML_OCTAL.test(text)) node.value = parseInt(text.replace(/_/g, ""), 8);
      else return;
      changed = true;
    },
  });
  return changed ? doc.toJS({ maxAliasCount: 1000 }) : source.toJS();
}
