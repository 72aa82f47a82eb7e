import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../../cli/baseCommand';
import { dataFlag, openStore } from '../../../cli/serveOptions';
import { NrfutilError, UsageError } from '../../../core/errors';
import { parseAuditAnchor, verifyAuditChain } from '../../../service/audit';

export default class ServeAuditVerify extends NrfCommand {
  static override summary = 'Check the audit chain: exit 1 naming the first record that was changed, removed or reordered.';
  static override description =
    'With --expect-head (a head printed earlier by `serve audit head` and kept outside the database) records cut off the end of the chain, or a chain rebuilt from some record on, are found too.';
  static override flags = {
    ...dataFlag,
    'expect-head': Flags.string({ description: 'SEQ:HASH printed earlier by `serve audit head`: that record must still be in the chain, unchanged' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServeAuditVerify);
    const anchorText = flags['expect-head'];
    const anchor = anchorText === undefined ? undefined : parseAuditAnchor(anchorText);
    if (anchorText !== undefined && !anchor) throw new UsageError(`Invalid value for '--expect-head': '${anchorText}' is not SEQ:HASH as 'serve audit head' prints it`);
    const store = await openStore(flags);
    let verdict;
    try {
      verdict = verifyAuditChain(await store.auditRecords(), anchor);
    } finally {
      await store.close();
    }
    if (!verdict.ok) throw new NrfutilError(`audit chain broken: ${verdict.problem}`);
    this.print(`Audit chain intact: ${verdict.records} records\n`);
  }
}
