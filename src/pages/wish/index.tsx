import { WishDetail } from '@/components/WishDetail';

export default function WishPage() {
  return <WishDetail />;
}
