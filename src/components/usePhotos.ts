import { useState } from 'react';
import type { PhotoTarget } from '@/services/gateway';
import { choosePhotos, type ChosenPhoto } from '@/services/media';

/** Photos a form collects for `target`, up to `max`: choose and upload more, `uploading` meanwhile; a failure goes
 * to `onError`. `photos` are the file ids to send; `previews` the local files to show meanwhile. */
export function usePhotos(max: number, target: PhotoTarget, onError: (e: unknown) => void) {
  const [chosen, setChosen] = useState<ChosenPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  async function add() {
    setUploading(true);
    try {
      const more = await choosePhotos(max - chosen.length, target);
      setChosen((p) => [...p, ...more].slice(0, max));
    } catch (e) {
      onError(e);
    } finally {
      setUploading(false);
    }
  }
  return { photos: chosen.map((c) => c.fileID), previews: chosen.map((c) => c.preview), uploading, add };
}
