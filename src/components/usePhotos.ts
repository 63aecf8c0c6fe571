import { useState } from 'react';
import { choosePhotos } from '@/services/media';

/** Photos a form collects, up to `max`: choose and upload more, `uploading` meanwhile; a failure goes to `onError`. */
export function usePhotos(max: number, onError: (e: unknown) => void) {
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  async function add() {
    setUploading(true);
    try {
      const ids = await choosePhotos(max - photos.length);
      setPhotos((p) => [...p, ...ids].slice(0, max));
    } catch (e) {
      onError(e);
    } finally {
      setUploading(false);
    }
  }
  return { photos, uploading, add };
}
