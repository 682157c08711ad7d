// CI: every string kolkit shows has a translation in every language it ships (docs/i18n.md).
// Fails, naming each one, when a msg() id in the source has no <target> in an xliff/*.xlf file, when a target's
// placeholders differ from its source's, or when src/i18n/locales/ (the modules `lit-localize build` writes
// from xliff/, committed) is not what the xliff files build today.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';

const config = readConfigFileAndWriteSchema('lit-localize.json');
const localizer = new RuntimeLitLocalizer(config);
const problems = [];

const { messages, errors } = localizer.extractSourceMessages();
for (const error of errors) problems.push(`source: ${typeof error.messageText === 'string' ? error.messageText : error.messageText.messageText}`);

const { translations } = localizer.readTranslationsSync();
for (const locale of config.targetLocales) {
  const translated = new Set((translations.get(locale) ?? []).map(({ name }) => name));
  for (const { name, file } of messages) {
    if (!translated.has(name)) problems.push(`xliff/${locale}.xlf: no <target> for "${name}" (${relative(process.cwd(), file.fileName)})`);
  }
}
problems.push(...localizer.validateTranslations().errors);

// The committed locale modules must be the build of the xliff files as they are.
const built = mkdtempSync(join(tmpdir(), 'kolkit-locales-'));
try {
  const fresh = new RuntimeLitLocalizer({ ...config, output: { ...config.output, outputDir: built, localeCodesModule: join(built, 'locale-codes.ts') } });
  // Quiet: the build warns of each missing target, which the check above has named already.
  const { log, warn } = console;
  console.log = console.warn = () => {};
  try { await fresh.build(); } finally { Object.assign(console, { log, warn }); }
  const committed = config.resolve(config.output.outputDir);
  for (const file of readdirSync(built).filter((f) => f !== 'locale-codes.ts')) {
    let current = '';
    try { current = readFileSync(join(committed, file), 'utf8'); } catch { /* missing: reported below */ }
    if (current !== readFileSync(join(built, file), 'utf8')) problems.push(`${config.output.outputDir}/${file} is stale: run npx lit-localize build`);
  }
  if (readFileSync(config.resolve(config.output.localeCodesModule), 'utf8') !== readFileSync(join(built, 'locale-codes.ts'), 'utf8')) {
    problems.push(`${config.output.localeCodesModule} is stale: run npx lit-localize build`);
  }
} finally {
  rmSync(built, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`check-translations: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-translations: ${messages.length} messages, each translated in ${config.targetLocales.join(', ')}`);
