// Build plugin: drops rrweb's canvas recording, which recorder.js never enables, from the bundle.
import { parseSync, type Plugin } from 'vite';
import { rrwebPatchPlugin } from './rrweb-patch-plugin.ts';

/** The canvas section of the bundled @rrweb/record module runs from the first line to the second. */
// The worker's source, inside the section, repeats this line as a string, indented.
const CANVAS_SECTION_START = '\nvar chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";';
const CANVAS_SECTION_END = '\nclass StylesheetManager {';
/** All that record() and MutationBuffer call on the canvas manager (rrweb 2.1.6). */
const CANVAS_MANAGER_METHODS = new Set(['reset', 'freeze', 'unfreeze', 'lock', 'unlock']);
const CANVAS_MANAGER_STUB = `class CanvasManager {
  constructor(options) {
    if (options.recordCanvas) throw new Error("frictionlens: this build of rrweb cannot record canvas");
  }
  reset() {}
  freeze() {}
  unfreeze() {}
  lock() {}
  unlock() {}
}
`;

/**
 * We record with recordCanvas: false, yet rrweb's canvas code (2D and WebGL hooks, a base64
 * encoder, an inlined Web Worker) is ~3.2 KB of the gzipped bundle that no minifier can drop:
 * record() constructs a CanvasManager whatever the options, and the module builds the worker's
 * Blob when it loads. With recordCanvas false that manager only sets flags nothing reads, so
 * this swaps the section for a manager that does nothing and refuses recordCanvas: true (rrweb
 * then fails to start, and the recorder stays inert rather than recording blank canvases).
 * Canvas elements are still recorded as elements, without their pixels, exactly as before.
 * The build fails if a new rrweb no longer matches what this relies on.
 */
export function stripRrwebCanvas(): Plugin {
  return rrwebPatchPlugin('strip-rrweb-canvas', (code, id) => {
    const start = code.indexOf(CANVAS_SECTION_START) + 1;
    const end = code.indexOf(CANVAS_SECTION_END) + 1;
    if (start === 0 || end <= start || code.includes(CANVAS_SECTION_START, start)) {
      throw new Error(`strip-rrweb-canvas: the canvas section of ${id} has moved; update recorder/build/strip-rrweb-canvas.ts`);
    }
    checkCanvasSectionIsSeparable(parseSync(id, code).program as unknown as AstNode, start, end);
    const called = [...(code.slice(0, start) + code.slice(end)).matchAll(/canvasManager\.(\w+)/g)].map((m) => m[1]!);
    const unknown = called.filter((method) => !CANVAS_MANAGER_METHODS.has(method));
    if (unknown.length > 0) throw new Error(`strip-rrweb-canvas: rrweb now calls canvasManager.${unknown.join(', ')}`);
    return code.slice(0, start) + CANVAS_MANAGER_STUB + code.slice(end);
  });
}

type AstNode = { type: string; start: number; end: number; [key: string]: unknown };

/** The section is whole top-level statements, declares CanvasManager, and nothing else it declares is used outside it. */
function checkCanvasSectionIsSeparable(program: AstNode, start: number, end: number): void {
  const inSection = (node: AstNode) => node.start >= start && node.end <= end;
  const declared = new Set<string>();
  for (const statement of program.body as AstNode[]) {
    if (!inSection(statement)) {
      if (statement.end > start && statement.start < end) throw new Error('strip-rrweb-canvas: the section splits a statement');
      continue;
    }
    const ids = statement.type === 'VariableDeclaration' ? (statement.declarations as AstNode[]).map((d) => d.id) : [statement.id];
    for (const node of ids as (AstNode & { name?: string })[]) if (node?.name) declared.add(node.name);
  }
  if (!declared.has('CanvasManager')) throw new Error('strip-rrweb-canvas: the section no longer declares CanvasManager');
  const usedOutside = new Set<string>();
  // Conservative: any identifier outside the section with a removed name counts, even a property key.
  walk(program, (node) => {
    const name = node.type === 'Identifier' ? (node.name as string) : '';
    if (name !== 'CanvasManager' && declared.has(name) && !inSection(node)) usedOutside.add(name);
  });
  if (usedOutside.size > 0) throw new Error(`strip-rrweb-canvas: code outside the section uses ${[...usedOutside].join(', ')}`);
}

function walk(node: AstNode, visit: (node: AstNode) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof (child as AstNode).type === 'string') walk(child as AstNode, visit);
    }
  }
}
