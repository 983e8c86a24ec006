/** Every command, in the order `chinook-sim --help` lists them. */
import { command as audit } from "./audit.ts";
import { command as backfill } from "./backfill.ts";
import { command as catchUp } from "./catch_up.ts";
import { command as exportCommand } from "./export.ts";
import { command as expect } from "./expect.ts";
import { command as live } from "./live.ts";
import { command as report } from "./report.ts";
import { command as rewind } from "./rewind.ts";
import { command as serve } from "./serve.ts";
import { command as setup } from "./setup.ts";
import { command as simulate } from "./simulate.ts";
import { command as status } from "./status.ts";
import { command as verify } from "./verify.ts";

export {
  audit,
  backfill,
  catchUp,
  expect,
  exportCommand,
  live,
  report,
  rewind,
  serve,
  setup,
  simulate,
  status,
  verify,
};

export const COMMANDS = [
  setup,
  simulate,
  backfill,
  catchUp,
  live,
  rewind,
  serve,
  status,
  verify,
  report,
  exportCommand,
  expect,
  audit,
];
