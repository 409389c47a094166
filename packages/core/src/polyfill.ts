// Node 20 has no Symbol.dispose; esbuild's lowering of `using` falls back to this same symbol.
const symbols = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };
symbols.dispose ??= Symbol.for('Symbol.dispose');
symbols.asyncDispose ??= Symbol.for('Symbol.asyncDispose');
export {};
