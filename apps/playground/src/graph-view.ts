import dagre from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel } from '@dagrejs/dagre';
import type { GraphNode, TapeGraph } from './tape-graph.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 190;
const NODE_H = 62;

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** "[1, 2]" for vectors, "3" for one element, cut after a few values. */
export function fmtValues(v: readonly number[] | null, max = 6): string {
  if (v === null) return '—';
  if (v.length === 1) return String(v[0]);
  const head = v.slice(0, max).join(', ');
  return `[${head}${v.length > max ? ', …' : ''}]`;
}

const fmtShape = (s: readonly number[]): string => `[${s.join(',')}]`;

/**
 * Lays the tape out left to right with dagre (edges in data-flow order: inputs → ops → output)
 * and draws it as SVG into `container`. Returns the SVG element.
 */
export function renderGraph(container: HTMLElement, graph: TapeGraph): SVGSVGElement {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 56, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  graph.edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, `e${i}`));
  dagre.layout(g);

  const { width = 0, height = 0 } = g.graph();
  const svg = el('svg', {
    xmlns: SVG,
    width: Math.ceil(width),
    height: Math.ceil(height),
    viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    role: 'img',
    'aria-label': 'tape graph',
  });
  const defs = el('defs', {});
  const marker = el('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }));
  defs.append(marker);
  svg.append(defs);

  graph.edges.forEach((e, i) => {
    const points = g.edge({ v: e.from, w: e.to, name: `e${i}` })?.points ?? [];
    const d = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
    svg.append(
      el('path', {
        d,
        class: 'edge',
        'data-from': e.from,
        'data-to': e.to,
        'marker-end': 'url(#arrow)',
      }),
    );
  });

  for (const n of graph.nodes) {
    const { x = 0, y = 0 } = g.node(n.id);
    svg.append(drawNode(n, x - NODE_W / 2, y - NODE_H / 2, n.id === graph.outputId));
  }
  container.replaceChildren(svg);
  return svg;
}

function drawNode(n: GraphNode, x: number, y: number, isOutput: boolean): SVGGElement {
  const group = el('g', {
    class: `node ${n.kind}${isOutput ? ' output' : ''}`,
    transform: `translate(${x},${y})`,
    'data-id': n.id,
    'data-kind': n.kind,
    'data-label': n.label,
  });
  group.append(el('rect', { width: NODE_W, height: NODE_H, rx: n.kind === 'leaf' ? 18 : 6 }));
  const title = n.label.startsWith(`${n.op}#`) ? n.label : `${n.label} (${n.op})`;
  group.append(el('text', { x: 8, y: 17, class: 'title' }, `${title}  ${fmtShape(n.shape)}`));
  group.append(
    el(
      'text',
      { x: 8, y: 36, class: 'value' },
      `${fmtValues(n.value, 4)} | ${fmtValues(n.grad, 4)}`,
    ),
  );
  group.append(el('text', { x: 8, y: 53, class: 'legend' }, 'value | grad'));
  const tip = el(
    'title',
    {},
    `${n.label}\nvalue ${fmtValues(n.value, 64)}\ngrad ${fmtValues(n.grad, 64)}`,
  );
  group.append(tip);
  return group;
}
