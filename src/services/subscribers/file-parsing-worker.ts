/**
 * Worker-thread side of file-parsing.ts (decision 0049): decodes the bytes it is given, reads them
 * with the import's one reader (domain/telecom/subscriber-file.ts) and posts each batch as it
 * closes, then how many bytes of the piece it has taken. It holds MAX_READY batches unacknowledged
 * at most: past that, the text waits unread until the writer takes one (a file of very short lines
 * would otherwise make a piece into dozens of batches held at once). After a refusal of the file it
 * reads nothing more.
 */
import { StringDecoder } from 'node:string_decoder';
import { parentPort, workerData } from 'node:worker_threads';
import { SubscriberFileReader, type FileReading, type ReadStep } from '../../domain/telecom/subscriber-file.js';
import { MAX_READY, packBatch, type FromParser, type ToParser } from './file-parsing.js';

if (parentPort) {
  const port = parentPort;
  const reading = workerData as FileReading;
  const reader = new SubscriberFileReader(reading);
  // The decoder node:readline uses, so that invalid UTF-8 reads as it always has.
  const decoder = new StringDecoder('utf8');
  // A counted line takes two UTF-16 units at the least (one for the first, which may have begun in
  // the text before): text this long closes one batch at most.
  const slice = 2 * reading.batchLines - 1;
  // Decoded pieces not yet read, with their size in bytes; where the first one is read up to.
  const pieces: { text: string; bytes: number }[] = [];
  let at = 0;
  let ended = false;
  let finished = false;
  let unacknowledged = 0;
  const send = (step: ReadStep) => {
    for (const batch of step.batches) {
      const packed = packBatch(batch);
      unacknowledged++;
      port.postMessage({ batch: packed } satisfies FromParser, [packed.lineNos.buffer as ArrayBuffer]);
    }
    if (step.refused) port.postMessage({ refused: step.refused } satisfies FromParser);
  };
  const read = () => {
    while (unacknowledged < MAX_READY) {
      const piece = pieces[0];
      if (piece) {
        // A piece of text empty (a character cut in two) is read too: readline forgets a CR then.
        if (at === 0 || at < piece.text.length) {
          send(reader.push(piece.text.slice(at, at + slice)));
          at += slice;
          continue;
        }
        pieces.shift();
        at = 0;
        port.postMessage({ taken: piece.bytes } satisfies FromParser);
        continue;
      }
      // The end may close two batches (its last line's and the last, empty or not): only with none waiting.
      if (ended && !finished && unacknowledged === 0) {
        finished = true;
        // Not decoder.end(): readline drops an incomplete character at the very end of its input.
        send(reader.end());
      }
      return;
    }
  };
  port.on('message', (m: ToParser) => {
    if ('bytes' in m) pieces.push({ text: decoder.write(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength)), bytes: m.bytes.byteLength });
    else if ('ack' in m) unacknowledged--;
    else ended = true;
    read();
  });
  port.postMessage({ ready: true } satisfies FromParser);
}
