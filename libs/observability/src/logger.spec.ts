import { describe, expect, it } from 'vitest';
import { createLogger, PinoNestLogger } from './logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  return { nest: new PinoNestLogger(logger), lines };
}

describe("Nest's messages through pino", () => {
  it("keeps Nest's start-up narration (mapped routes, loaded modules) out of info, and shows it at debug", () => {
    const info = capture('info');
    info.nest.log('Mapped {/admin/integrations, POST} route', 'RouterExplorer');
    info.nest.log('AppModule dependencies initialized', 'InstanceLoader');
    info.nest.log('something a service says', 'IntegrationsService');
    expect(info.lines.map((line) => line.msg)).toEqual(['something a service says']);

    const debug = capture('debug');
    debug.nest.log('Mapped {/admin/integrations, POST} route', 'RouterExplorer');
    expect(debug.lines).toEqual([expect.objectContaining({ level: 20, scope: 'RouterExplorer', msg: 'Mapped {/admin/integrations, POST} route' })]);
  });
});
