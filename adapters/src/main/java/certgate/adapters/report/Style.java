package certgate.adapters.report;

/**
 * The report's style sheet, inline in the page: system fonts only (nothing to fetch), a width that suits a laptop
 * screen, and a print layout (no shadows, sections kept whole on a page, colours printed as they are). It holds
 * neither {@code <} nor {@code &}, so it is well-formed XML text as it is.
 */
final class Style {
    static final String CSS = """
            :root { --accept: #2e7d32; --reject: #c62828; --policy: #6a1b9a; --age: #1565c0;
                    --next: #ef6c00; --refresh: #6d4c41; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f6f8fa; color: var(--ink);
                   font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 40px; }
            header h1 { margin: 0 0 4px; font-size: 24px; }
            .meta, .note, .legend, footer { color: var(--muted); }
            .meta code { color: var(--ink); }
            section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px;
                      margin: 14px 0; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.04); }
            h2 { font-size: 17px; margin: 0 0 10px; }
            h3 { font-size: 14px; font-weight: 600; margin: 14px 0 4px; word-break: break-all; }
            .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px;
                     background: none; border: none; box-shadow: none; padding: 0; }
            .tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
            .tile .figure { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
            .tile .what { font-weight: 600; }
            .tile .note { font-size: 12px; }
            .tile.good .figure { color: var(--accept); }
            .tile.bad .figure { color: var(--reject); }
            .columns { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 14px; }
            .columns section { margin: 0; }
            svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
            svg text { font-size: 11px; fill: var(--muted); }
            svg text.label { fill: var(--ink); font-size: 12px; }
            svg text.mark-label { fill: var(--policy); font-size: 10px; }
            .grid { stroke: #eaeef2; stroke-width: 1; }
            .baseline, .tick { stroke: #8c959f; stroke-width: 1; }
            .bar-accept { fill: var(--accept); }
            .bar-reject { fill: var(--reject); }
            .reason-bar { fill: var(--reject); opacity: 0.85; }
            .policy-mark { stroke: var(--policy); stroke-width: 1.5; stroke-dasharray: 4 3; }
            .crl-age { fill: none; stroke: var(--age); stroke-width: 2; }
            .crl-age.stale { stroke: var(--reject); }
            .crl-next-update { stroke: var(--next); stroke-width: 1.5; stroke-dasharray: 6 4; }
            .crl-refresh { stroke: var(--refresh); stroke-width: 1.5; stroke-dasharray: 2 3; }
            .crl-load { fill: #fff; stroke: var(--age); stroke-width: 2; }
            .cert-bar.fine { fill: var(--accept); }
            .cert-bar.later { fill: #f9a825; }
            .cert-bar.soon, .cert-bar.expired { fill: var(--reject); }
            .legend .key { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px;
                           vertical-align: -1px; border-radius: 2px; }
            .key.accept { background: var(--accept); }
            .key.reject, .key.stale { background: var(--reject); }
            .key.policy { background: var(--policy); }
            .key.age { background: var(--age); }
            .key.next { background: var(--next); }
            .key.refresh { background: var(--refresh); }
            .key.load { background: #fff; border: 2px solid var(--age); border-radius: 50%; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top;
                     overflow-wrap: anywhere; }
            th { font-weight: 600; color: var(--muted); border-bottom-color: var(--line); white-space: nowrap; }
            table.gateways td { overflow-wrap: normal; }
            table.gateways td:first-child { overflow-wrap: anywhere; }
            table.gateways { font-size: 13px; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr.flagged td { color: var(--reject); }
            code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
            dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
            dl.facts dt { font-weight: 600; }
            dl.facts dd { margin: 0; overflow-wrap: anywhere; }
            .empty { color: var(--muted); font-style: italic; }
            footer { font-size: 12px; margin-top: 18px; }
            @media (max-width: 900px) { .columns { grid-template-columns: minmax(0, 1fr); } }
            @media print {
              @page { size: A4 landscape; margin: 12mm; }
              body { background: #fff; font-size: 11px; }
              main { max-width: none; padding: 0; }
              section, .tile { box-shadow: none; border-color: #bbb; break-inside: avoid; page-break-inside: avoid; }
              .columns { grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            """;

    private Style() {
    }
}
