/**
 * One updating line on a terminal; plain lines at most every few seconds in CI
 * logs, where carriage returns turn into noise.
 */
export interface Progress {
  update(text: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const interactive = stream.isTTY === true && process.env.CI === undefined;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = performance.now();
      if (interactive) {
        if (now - last < 100) return;
        stream.write(`\r\x1b[2K${text}`);
        shown = true;
      } else {
        if (now - last < 5000) return;
        stream.write(`${text}\n`);
      }
      last = now;
    },
    done() {
      if (interactive && shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
