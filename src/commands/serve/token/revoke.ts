import * as Args from '@oclif/core/args';
import { NrfCommand } from '../../../cli/baseCommand';
import { dataFlag, openStore } from '../../../cli/serveOptions';
import { NrfutilError } from '../../../core/errors';

export default class ServeTokenRevoke extends NrfCommand {
  static override summary = 'Revoke an API token by its id (from serve token list); it stops working at once.';
  static override args = { id: Args.string({ description: 'Token id (tok_…)', required: true }) };
  static override flags = { ...dataFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServeTokenRevoke);
    const store = await openStore(flags);
    try {
      if (!(await store.revokeToken(args.id))) throw new NrfutilError(`No active token ${args.id}: see serve token list`);
      this.print(`Revoked ${args.id}\n`);
    } finally {
      await store.close();
    }
  }
}
