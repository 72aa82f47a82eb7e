import * as Flags from '@oclif/core/flags';
import { NrfCommand } from '../../../cli/baseCommand';
import { dataFlag, openStore, parseExpiry, parseScope } from '../../../cli/serveOptions';
import { UsageError } from '../../../core/errors';
import { ROLES, Role } from '../../../service/store';

export default class ServeTokenCreate extends NrfCommand {
  static override summary = 'Create an API token; prints the token once (only its SHA-256 is stored).';
  static override examples = [
    '<%= config.bin %> serve token create --role field --scope group:site-a --expires 90d',
    '<%= config.bin %> serve token create --role release --label ci',
  ];
  static override flags = {
    ...dataFlag,
    role: Flags.string({ description: 'admin, release or field', options: [...ROLES], required: true }),
    scope: Flags.string({ description: 'Devices a field token may fetch for: ids, group:NAME or * (comma-separated or repeated)', multiple: true }),
    expires: Flags.string({ description: 'Expiry: a date/time (2027-01-31) or a duration (90d, 12h)' }),
    label: Flags.string({ description: 'A note to recognise the token in serve token list' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServeTokenCreate);
    const scope = parseScope(flags.scope ?? []);
    if (flags.role === 'field' && scope.length === 0) throw new UsageError("A field token needs --scope (device ids, group:NAME or '*')");
    const expiresAt = parseExpiry(flags.expires);
    const store = await openStore(flags);
    try {
      const { token, record } = await store.createToken(flags.role as Role, scope, { expiresAt, label: flags.label });
      process.stderr.write(`Created ${record.id} (${record.role}${scope.length ? `, scope ${scope.join(',')}` : ''}${expiresAt ? `, expires ${expiresAt}` : ''}); the token is shown only now:\n`);
      this.print(`${token}\n`);
    } finally {
      await store.close();
    }
  }
}
