// restify 11 reads process.binding('http_parser') (DEP0111) on Node 20; the warning is known and harmless
// (restify 12 fixes it but needs Node 22). Every other warning is still printed.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' && rest[0] ? (rest[0] as { code?: string }).code : rest[1];
  if (code === 'DEP0111') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
