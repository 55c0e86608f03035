/**
 * Reading a card's QR at the counter: the device camera (getUserMedia) decoded in the browser with
 * jsQR, or a photo uploaded. The text goes to the API as the payload; a photo the browser cannot
 * decode goes as an image, which the server decodes with its own reader (POST /cards/qr-verification).
 * jsQR loads only when a QR is read, so the area's first page stays light.
 */
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { useT } from '../../i18n/context.js';
import { officer } from './messages.js';

export type Scanned = { payload: string } | { imageBase64: string };

async function decodePixels(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement): Promise<string | undefined> {
  const { default: jsQR } = await import('jsqr');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g || width === 0 || height === 0) return undefined;
  g.drawImage(source, 0, 0, width, height);
  const found = jsQR(g.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'attemptBoth' });
  return found?.data || undefined;
}

/** A file as base64 (no data: prefix), as the API takes uploads. */
export function fileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** The largest side a photo is decoded at in the browser (phone photos are large; QR codes are not). */
const MAX_SIDE = 1600;

/** `onScanned` should be stable (useCallback): the camera loop restarts when it changes. */
export function Scanner({ onScanned, busy }: { onScanned(s: Scanned): unknown; busy: boolean }) {
  const t = useT(officer);
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [stream, setStream] = useState<MediaStream | undefined>();
  const [cameraFailed, setCameraFailed] = useState(false);

  const stop = () => {
    stream?.getTracks().forEach((track) => track.stop());
    setStream(undefined);
  };

  useEffect(() => {
    if (!stream || !video.current || !canvas.current) return;
    const v = video.current;
    const c = canvas.current;
    v.srcObject = stream;
    void v.play().catch(() => undefined);
    let live = true;
    const tick = async () => {
      if (!live) return;
      if (v.readyState >= 2) {
        const text = await decodePixels(v, v.videoWidth, v.videoHeight, c);
        if (text && live) {
          live = false;
          stream.getTracks().forEach((track) => track.stop());
          setStream(undefined);
          void onScanned({ payload: text });
          return;
        }
      }
      if (live) setTimeout(() => void tick(), 250);
    };
    void tick();
    return () => {
      live = false;
    };
  }, [stream, onScanned]);

  useEffect(() => () => stream?.getTracks().forEach((track) => track.stop()), [stream]);

  const startCamera = async () => {
    setCameraFailed(false);
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera');
      setStream(await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }));
    } catch {
      setCameraFailed(true);
    }
  };

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file || !canvas.current) return;
    let text: string | undefined;
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      text = await decodePixels(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale), canvas.current);
      bitmap.close();
    } catch {
      text = undefined; // not an image the browser reads: the server says what it is
    }
    void onScanned(text ? { payload: text } : { imageBase64: await fileBase64(file) });
  };

  return (
    <div className="scanner">
      <div className="form-inline">
        {stream ? (
          <Button variant="secondary" onClick={stop}>
            {t('scan.stop')}
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => void startCamera()} disabled={busy}>
            {t('scan.camera')}
          </Button>
        )}
      </div>
      {cameraFailed ? <p role="alert">{t('scan.cameraUnavailable')}</p> : null}
      {stream ? <video ref={video} className="scanner-video" muted playsInline aria-label={t('scan.video')} /> : null}
      <canvas ref={canvas} hidden />
      <TextField label={t('scan.upload')} hint={t('scan.uploadHint')} type="file" accept="image/png,image/jpeg" disabled={busy} onChange={(e) => void upload(e)} />
    </div>
  );
}
