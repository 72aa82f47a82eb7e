import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../../cli/baseCommand';
import { dataFlag, openStore } from '../../../cli/serveOptions';

export default class ServeTokenList extends NrfCommand {
  static override summary = 'List API tokens (ids, roles, scopes, expiry; never the tokens themselves).';
  static override flags = { ...dataFlag, json: Flags.boolean({ description: 'JSON output', default: false }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServeTokenList);
    const store = await openStore(flags);
    try {
      const tokens = await store.tokens();
      if (flags.json) return this.print(JSON.stringify(tokens, null, 2) + '\n');
      for (const t of tokens)
        this.print(`${t.id}  ${t.role.padEnd(7)}  ${(t.scope.join(',') || '-').padEnd(20)}  expires ${t.expiresAt ?? 'never'}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}${t.label ? `  ${t.label}` : ''}\n`);
    } finally {
      await store.close();
    }
  }
}
