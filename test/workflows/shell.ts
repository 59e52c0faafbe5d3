// Finds the npm, npx and node invocations in a `run:` script, with their words, so the policy can check
// them against package.json and the CLI. A shell-aware approximation: continuation lines are joined,
// a call starts in command position and ends at ; & | ) < > or the end of the line, quotes group words,
// `${VAR:+--flag}` counts as the flag it may add.

export interface Word {
  text: string;
  /** True when the word came from a variable or a command substitution: its value is unknown here. */
  dynamic: boolean;
}

export interface Call {
  program: 'npm' | 'npx' | 'node';
  /** 1-based line in the script. */
  line: number;
  words: Word[];
  /** True when its standard output is redirected, piped or substituted (so npm's banner would land there). */
  captured: boolean;
}

export interface NpmRun {
  /** The npm command: run, test, ci, install, exec… */
  verb: string;
  /** For `npm run`: the script name. */
  script?: string;
  /** Words after the script (after a leading `--`). */
  args: Word[];
}

/** Splits a command's text into words; quotes group, `${VAR:+--flag}` becomes `--flag`. */
export function words(text: string): Word[] {
  const out: Word[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const raw = match[1] ?? match[2] ?? match[3] ?? '';
    const conditionalFlag = /^\$\{\w+:\+(-[\w-]+)\}$/.exec(raw);
    if (conditionalFlag) {
      out.push({ text: conditionalFlag[1]!, dynamic: false });
      continue;
    }
    out.push({ text: raw, dynamic: match[2] === undefined && /\$/.test(raw) });
  }
  return out;
}

/** The npm, npx and node calls of a script, in order. */
export function calls(script: string): Call[] {
  const out: Call[] = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let line = lines[i]!;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
    // In command position: at the start, after ; & | ( ` ! { or a keyword, after VAR=value prefixes.
    const pattern =
      /(^|[;&|(`!{]|\b(?:then|do|else|if|elif|while|until|exec|time)(?=\s))\s*(?:[A-Za-z_]\w*=\S*\s+)*(npm|npx|node)(?=\s|$)([^;&|)<>\n]*)/g;
    for (const match of line.matchAll(pattern)) {
      const found = words(match[3] ?? '');
      const after = line.slice((match.index ?? 0) + match[0].length);
      const stderrOnly = after.startsWith('>') && found.at(-1)?.text === '2';
      if (stderrOnly) found.pop();
      const substituted = match[1] === '(' && line[(match.index ?? 0) - 1] === '$';
      const redirected = after.startsWith('>') && !stderrOnly;
      const piped = after.startsWith('|') && !after.startsWith('||');
      out.push({ program: match[2] as Call['program'], line: first + 1, words: found, captured: substituted || redirected || piped });
    }
  }
  return out;
}

/** Reads an npm call: `npm [flags] <verb> [flags] [script] [--] [args…]`. */
export function npmRun(call: Call): NpmRun {
  const rest = [...call.words];
  while (rest[0]?.text.startsWith('-')) rest.shift();
  const verb = rest.shift()?.text ?? '';
  if (verb !== 'run' && verb !== 'run-script') return { verb, args: rest };
  while (rest[0]?.text.startsWith('-')) rest.shift();
  const script = rest.shift()?.text;
  if (rest[0]?.text === '--') rest.shift();
  return { verb, script, args: rest };
}

/** The file a `node <file>` call runs, if it names one (not `node -e` / `node --eval`). */
export function nodeFile(call: Call): string | undefined {
  const first = call.words[0];
  return first && !first.text.startsWith('-') && !first.dynamic ? first.text : undefined;
}

/** Whether a script runs the GitHub CLI (gh) in command position: the steps that call the GitHub API. */
export function callsGh(script: string): boolean {
  return /(^|[\s;&|(])gh\s/m.test(script);
}
