// 心愿卡 wishCards: paper wish cards with a QR code for residents without a smartphone — an organiser prints numbered
// cards (`issue`) and links a returned card or a receipt to its wish (`link`); anyone holding the card follows the
// wish by its QR code (`progress`, no personal data) and gives feedback with the PIN on its stub (`feedback`, five
// wrong PINs lock the card for an hour). The work is in server/cards.ts.
import { WishCardsEvent } from '../../src/core/cards';
import { wishCards } from '../../server/cards';
import { defineFunction } from '../../server/runner';

// The card page may be opened on a phone's browser signed in anonymously (CloudBase anonymous login): progress and
// feedback serve such a caller; issuing, linking and receipts do not (docs/operations.md, "Anonymous login").
export const main = defineFunction('wishCards', WishCardsEvent, (event, caller) => wishCards(event, caller), {
  write: true,
  anonymous: (e) => e.mode === 'progress' || e.mode === 'feedback',
});
