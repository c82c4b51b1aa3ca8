import { settings } from '../config/settings';
import type { EvidenceLimits } from '../domain/evidence/evidence-rules';

/** The per-class size limits from settings (defaults: images 25 MiB, video 4 GiB, documents 50 MiB). */
export function evidenceLimits(): EvidenceLimits {
  const s = settings();
  return { imageBytes: s.EVIDENCE_MAX_IMAGE_BYTES, videoBytes: s.EVIDENCE_MAX_VIDEO_BYTES, documentBytes: s.EVIDENCE_MAX_DOCUMENT_BYTES };
}
