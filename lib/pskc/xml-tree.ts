import { XMLParser, XMLValidator } from "fast-xml-parser";
import { malformed } from "./errors";

// Reads the element tree that fast-xml-parser produces, with namespace prefixes removed: PSKC files
// use any prefix (or none) for the same namespaces, so matching on local names is what readers do.

export type XmlNode = { [name: string]: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true, // for numeric character references (&#64;)
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

export function parseXml(xml: string): XmlNode {
  if (typeof xml !== "string" || xml.trim() === "") throw malformed("The seed file is empty. Choose the PSKC (.pskc or .xml) file again.");
  // A PSKC file never needs a DTD, and refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(xml)) throw malformed("The seed file contains a DOCTYPE, which PSKC files never have. Use the file exactly as it was issued.");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const where = valid.err.line ? ` (line ${valid.err.line}${valid.err.col ? `, column ${valid.err.col}` : ""})` : "";
    throw malformed(`The seed file is not well-formed XML${where}: ${valid.err.msg} Use the file exactly as it was issued.`);
  }
  try {
    return parser.parse(xml) as XmlNode;
  } catch {
    throw malformed("The seed file is not well-formed XML. Use the file exactly as it was issued.");
  }
}

function isNode(v: unknown): v is XmlNode {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every child element called `name` (an element without attributes or children comes back as {}). */
export function children(node: XmlNode, name: string): XmlNode[] {
  const v = node[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((c) => (isNode(c) ? c : { "#text": String(c) }));
}

/** The single child element called `name`, or undefined; `where` names the parent for the error. */
export function child(node: XmlNode | undefined, name: string, where: string): XmlNode | undefined {
  if (!node) return undefined;
  const all = children(node, name);
  if (all.length > 1) throw malformed(`${where} has more than one ${name} element. Use the file exactly as it was issued.`);
  return all[0];
}

export function requireChild(node: XmlNode | undefined, name: string, where: string): XmlNode {
  const c = child(node, name, where);
  if (!c) throw malformed(`${where} has no ${name} element. Ask the issuer for a complete seed file.`);
  return c;
}

/** Text content of an element, trimmed; undefined for a missing element. */
export function textOf(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const t = node["#text"];
  return t === undefined ? "" : String(t).trim();
}

export function childText(node: XmlNode | undefined, name: string, where: string): string | undefined {
  return textOf(child(node, name, where));
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[`@_${name}`];
  return v === undefined ? undefined : String(v).trim();
}
