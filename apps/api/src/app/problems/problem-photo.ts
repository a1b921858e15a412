import { HttpStatus } from '@nestjs/common';
import { PROBLEM_PHOTO_MAX_BYTES } from '@fabomatic/contracts';
import { ApiError } from '../../core/http/api-error';

export interface CleanPhoto {
  readonly mime: 'image/jpeg' | 'image/png' | 'image/webp';
  readonly bytes: Buffer;
}

const refused = () =>
  new ApiError(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'PROBLEM_PHOTO_TYPE',
    'the photo must be a JPEG, PNG or WebP image',
  );

export const photoTooLarge = () =>
  new ApiError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'PROBLEM_PHOTO_TOO_LARGE',
    `the photo is larger than ${PROBLEM_PHOTO_MAX_BYTES} bytes`,
    undefined,
    { maxBytes: PROBLEM_PHOTO_MAX_BYTES },
  );

/** The type the bytes say they are (never the name or the declared type). */
function sniff(bytes: Buffer): CleanPhoto['mime'] | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

const FORMATS = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/**
 * Checks a photo by its content (magic bytes, then sharp's decoder must agree) and re-encodes it in
 * its own format, which drops every metadata block (EXIF with GPS, XMP, PNG text chunks); the
 * orientation EXIF gave is applied to the pixels first.
 */
export async function cleanPhoto(bytes: Buffer): Promise<CleanPhoto> {
  if (bytes.length > PROBLEM_PHOTO_MAX_BYTES) throw photoTooLarge();
  const mime = sniff(bytes);
  if (!mime) throw refused();
  // Loaded at the first photo, not at start-up: libvips costs ~7 MB of idle memory otherwise.
  const { default: sharp } = await import('sharp');
  try {
    const image = sharp(bytes, { failOn: 'error', limitInputPixels: 50_000_000 });
    const { format } = await image.metadata();
    if (format !== FORMATS[mime]) throw refused();
    const clean = await image.rotate().toFormat(FORMATS[mime]).toBuffer();
    return { mime, bytes: clean };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw refused();
  }
}
