/**
 * Worker-thread side of file-parsing.ts (decision 0049): decodes the bytes it is given, reads them
 * with the import's one reader (domain/telecom/subscriber-file.ts) and posts each batch as it
 * closes, then how many bytes of the piece it has taken. After a refusal of the file it reads nothing more.
 */
import { StringDecoder } from 'node:string_decoder';
import { parentPort, workerData } from 'node:worker_threads';
import { SubscriberFileReader, type FileReading, type ReadStep } from '../../domain/telecom/subscriber-file.js';
import { packBatch, type FromParser, type ToParser } from './file-parsing.js';

if (parentPort) {
  const port = parentPort;
  const reader = new SubscriberFileReader(workerData as FileReading);
  // The decoder node:readline uses, so that invalid UTF-8 reads as it always has.
  const decoder = new StringDecoder('utf8');
  const send = (step: ReadStep) => {
    for (const batch of step.batches) {
      const packed = packBatch(batch);
      port.postMessage({ batch: packed } satisfies FromParser, [packed.lineNos.buffer as ArrayBuffer]);
    }
    if (step.refused) port.postMessage({ refused: step.refused } satisfies FromParser);
  };
  port.on('message', (m: ToParser) => {
    if ('bytes' in m) {
      send(reader.push(decoder.write(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength))));
      port.postMessage({ taken: m.bytes.byteLength } satisfies FromParser);
    } else {
      // Not decoder.end(): readline drops an incomplete character at the very end of its input.
      send(reader.end());
    }
  });
  port.postMessage({ ready: true } satisfies FromParser);
}
