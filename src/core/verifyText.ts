import type { ImageVerdict, PackageVerdict } from './packageVerify';

function imageLine(image: ImageVerdict): string {
  const name = `${image.kind.padEnd(21)} ${image.binFile}`;
  if (image.problems.length === 0) return `${name}: ok (${image.size} bytes, hash ok, signature valid)\n`;
  return `${name}: REJECTED: ${image.problems.join('; ')}\n`;
}

function verdictLine(file: string, verdict: PackageVerdict): string {
  if (verdict.accepted) return `${file}: the bootloader would accept this package\n`;
  const reason = verdict.problems[0] ?? verdict.images.flatMap((i) => i.problems)[0];
  return `${file}: REJECTED: ${reason}\n`;
}

/** The text `pkg verify` prints (without --json): one line per image, then the verdict. */
export function verifyReportText(file: string, verdict: PackageVerdict): string {
  return verdict.images.map(imageLine).join('') + verdictLine(file, verdict);
}
