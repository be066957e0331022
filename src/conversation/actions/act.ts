// Carries out the policy's steps, in order, inside the conversation's transaction.
import { currentCatalog } from '../current-catalog.js';
import { sayText } from '../render/say.js';
import { helpOffer } from '../render/products.js';
import type { Step } from '../policy/types.js';
import type { Turn } from '../turn.js';
import { answerProducts, chooseOrTake, replaceVariant, clearCart, notSold, outOfStock, propose, removeLines, replaceLine, sendCartSummary, setLines } from './cart.js';
import { confirmOrder } from './checkout.js';
import { handover } from './handover.js';
import { greet, showCategory, showMenu } from './menu.js';
import { askMethod, choosePayment, paymentClaim, receiveImage, repeatPrompt } from './payment.js';
import { receiveAddress, receivePin } from './place.js';
import { cancelByCustomer, orderStatus } from './status.js';
import { D } from '../render/say.js';

export async function act(turn: Turn, step: Step): Promise<void> {
  switch (step.do) {
    case 'say':
      turn.out.push({ type: 'text', text: sayText(turn.lang, step.what, turn.merchant.name) });
      return;
    case 'greet':
      return greet(turn, await currentCatalog(turn));
    case 'menu':
      return showMenu(turn, await currentCatalog(turn), step.page);
    case 'category':
      return showCategory(turn, await currentCatalog(turn), step.index, step.page);
    case 'cart.set':
      return setLines(turn, await currentCatalog(turn), step.lines, step.mode, step.check);
    case 'cart.propose':
      return propose(turn, await currentCatalog(turn), step.lines, step.mode, step.replaces);
    case 'cart.choose':
      return chooseOrTake(turn, await currentCatalog(turn), step.mention, step.skus, step.quantity, step.typed);
    case 'cart.remove':
      return removeLines(turn, step.skus, step.mentions);
    case 'cart.clear':
      return clearCart(turn);
    case 'cart.show':
      return sendCartSummary(turn);
    case 'cart.replace':
      return replaceLine(turn, await currentCatalog(turn), step.from, step.to);
    case 'cart.replace_variant':
      return replaceVariant(turn, await currentCatalog(turn), step.fromMention, step.fromSkus, step.toText, step.to);
    case 'products.answer':
      return answerProducts(turn, await currentCatalog(turn), step.skus, undefined, step.check);
    case 'products.list':
      return answerProducts(turn, await currentCatalog(turn), step.skus, D.forNeed(turn.lang));
    case 'products.not_sold':
      return notSold(turn, await currentCatalog(turn), step.mention, step.suggestions, step.quantity, step.text, false, step.question);
    case 'product.out_of_stock':
      return outOfStock(turn, await currentCatalog(turn), step.sku);
    case 'order.confirm':
      return confirmOrder(turn);
    case 'order.cancel':
      return cancelByCustomer(turn);
    case 'order.status':
      return orderStatus(turn);
    case 'payment.choose':
      return choosePayment(turn, step.method, step.bank);
    case 'payment.claim':
      return paymentClaim(turn);
    case 'payment.ask_method':
      return askMethod(turn);
    case 'place.pin':
      return receivePin(turn, step.lat, step.lng, step.address);
    case 'place.address':
      return receiveAddress(turn, step.text);
    case 'image':
      return receiveImage(turn, step.mediaId, step.mimeType);
    case 'prompt.repeat':
      return repeatPrompt(turn);
    case 'handover':
      return handover(turn, step.question);
    case 'help.offer':
      turn.out.push(helpOffer(turn.lang));
      return;
  }
}
