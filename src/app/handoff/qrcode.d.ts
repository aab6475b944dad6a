// The part of the `qrcode` package (no bundled typings) the hand-off uses.
declare module 'qrcode' {
  export interface QRCodeOptions {
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    margin?: number;
    scale?: number;
    width?: number;
  }
  export interface QRCodeSymbol {
    version: number;
    modules: { size: number; data: Uint8Array; get(row: number, col: number): number };
  }
  export function create(text: string, options?: QRCodeOptions): QRCodeSymbol;
  export function toDataURL(text: string, options?: QRCodeOptions): Promise<string>;
}
