/**
 * `openapi`: the OpenAPI 3.1 description of the HTTP binding (src/protocol/openapi.ts), with the read routes of
 * a shipped domain (its tools' input schemas) or of a target description (its reads and their arguments).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { yaml } from '../kit/lazy.js';
import { makeFolderOf, TOOL_VERSION } from '../kit/paths.js';
import { openApiDocument, readTools } from '../protocol/openapi.js';
import { DOMAINS, DEFAULT_DOMAIN, type DomainName } from '../runtime/domains.js';
import { loadTargetFile } from '../runner/target-file.js';
import { EXIT } from './exit-codes.js';
import type { CommandIo } from './io.js';
import { tableOptions, type CliValues } from './options.js';

export function openApiFor(values: Pick<CliValues, 'domain' | 'target'>): Record<string, unknown> {
  const domain = (values.domain ?? DEFAULT_DOMAIN) as DomainName;
  const tools = values.target ? readTools(loadTargetFile(values.target).reads) : DOMAINS[domain].create(() => 0, (p) => `${p}_0`).tools;
  return openApiDocument({ tools, version: TOOL_VERSION, title: `OpenPort agent/v1 (HTTP binding) — ${values.target ?? `${domain} domain`}` });
}

export function registerOpenApi(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('openapi')
    .summary('write the OpenAPI 3.1 description of the HTTP binding')
    .description('write an OpenAPI 3.1 description of the HTTP binding agent/v1 (both planes, the envelope, every reason code with its statuses, the security schemes) with the read routes of a domain or target description'), 'openapi')
    .addHelpText('after', `
Examples:
  $ openport-conform openapi > openport-v1.openapi.json
  $ openport-conform openapi --domain helpdesk --out helpdesk.openapi.yaml
  $ openport-conform openapi --target my-target.yaml --out mine.openapi.json`)
    .action((flags: CliValues & { out?: string }) => {
      const doc = openApiFor(flags);
      const text = flags.out && /\.ya?ml$/i.test(flags.out) ? yaml().stringify(doc, { aliasDuplicateObjects: false }) : `${JSON.stringify(doc, null, 2)}\n`;
      if (flags.out) {
        makeFolderOf(flags.out);
        writeFileSync(flags.out, text);
      }
      else io.stdout.write(text);
      io.setExit(EXIT.conformant);
    });
}
