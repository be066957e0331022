// QRIS codes reach the customer as a picture they can scan from another phone or save to their gallery.
import QRCode from 'qrcode';

/** A PNG of `qrString`, large enough to scan from a photo of a screen. */
export function qrPng(qrString: string): Promise<Buffer> {
  return QRCode.toBuffer(qrString, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 512 });
}
