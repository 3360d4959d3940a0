/** Entry point of the `diligence` command. */
import { buildCli } from './commands.ts';

await buildCli().parseAsync(process.argv);
