import { WishDetail } from '@/components/WishDetail';
import { OrganiserActions } from '../forms';

/** The organiser's view of a wish: the shared detail plus the organiser's forms (this subpackage only). */
export default function OrganiserWish() {
  return <WishDetail organiser={OrganiserActions} />;
}
