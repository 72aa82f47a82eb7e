import { NrfCommand } from '../../../cli/baseCommand';
import { dataFlag, openStore } from '../../../cli/serveOptions';
import { NrfutilError } from '../../../core/errors';
import { formatAuditAnchor, verifyAuditChain } from '../../../service/audit';

export default class ServeAuditHead extends NrfCommand {
  static override summary = 'Print the last audit record as SEQ:HASH, to keep outside the database for `serve audit verify --expect-head`.';
  static override flags = { ...dataFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServeAuditHead);
    const store = await openStore(flags);
    let records;
    try {
      records = await store.auditRecords();
    } finally {
      await store.close();
    }
    // a head is only worth keeping when the chain up to it is intact
    const verdict = verifyAuditChain(records);
    if (!verdict.ok) throw new NrfutilError(`audit chain broken: ${verdict.problem}`);
    const last = records.at(-1);
    if (!last) throw new NrfutilError('the audit log is empty: there is no head to keep yet');
    this.print(`${formatAuditAnchor(last)}\n`);
  }
}
