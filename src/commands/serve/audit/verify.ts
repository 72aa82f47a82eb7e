import { NrfCommand } from '../../../cli/baseCommand';
import { dataFlag, openStore } from '../../../cli/serveOptions';
import { NrfutilError } from '../../../core/errors';
import { auditRecords, verifyAuditChain } from '../../../service/audit';

export default class ServeAuditVerify extends NrfCommand {
  static override summary = 'Check the audit chain: exit 1 naming the first record that was changed, removed or reordered.';
  static override flags = { ...dataFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServeAuditVerify);
    const store = await openStore(flags);
    let verdict;
    try {
      verdict = verifyAuditChain(await auditRecords(store));
    } finally {
      await store.close();
    }
    if (!verdict.ok) throw new NrfutilError(`audit chain broken: ${verdict.problem}`);
    this.print(`Audit chain intact: ${verdict.records} records\n`);
  }
}
