// The dialogue policy decides without a database: these cases are the rules customers rely on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide as decidePolicy, MISREADS_BEFORE_HELP, placeOf } from '../../src/conversation/policy/decide.js';
import type { DialogueView } from '../../src/conversation/policy/types.js';
import type { Interpretation } from '../../src/conversation/understand/types.js';
import { detectAct } from '../../src/nlu/acts.js';
import { CONFIRM_BELOW, type NluResult } from '../../src/nlu/types.js';

const view = (v: Partial<DialogueView> = {}): DialogueView => ({
  stage: 'none',
  hasOrder: false,
  cart: [],
  misreads: 0,
  facts: {},
  payments: { qris: true, va: true, banks: ['bca', 'bni'], cod: false },
  ...v,
});
const nlu = (n: Partial<NluResult> = {}): NluResult => ({
  intent: 'other', confidence: 0.3, language: 'id', items: [], ambiguous: [], unknown: [], payment_method: null, bank: null, ...n,
});
const item = (sku: string, quantity: number, score = 1) => ({ sku, quantity, quantityExplicit: true, mention: sku.toLowerCase(), score });
const text = (t: string, n: Partial<NluResult> = {}, extra: Partial<Extract<Interpretation, { kind: 'text' }>> = {}): Interpretation => {
  const result = nlu(n);
  return { kind: 'text', text: t, nlu: result, act: detectAct(t, result), search: [], catalogEmpty: false, ...extra };
};
/** The decision without the name checks the act stage runs (asserted on their own below). */
const decide = (v: DialogueView, i: Interpretation) => {
  const d = decidePolicy(v, i);
  return { ...d, steps: d.steps.map((st) => { const { check: _c, ...rest } = st as Record<string, unknown>; return rest as typeof st; }) };
};
const steps = (v: DialogueView, i: Interpretation) => decide(v, i).steps.map((s) => s.do);
const cartView = view({ stage: 'cart', hasOrder: true, cart: [{ sku: 'AQUA', name: 'Aqua', quantity: 2, line_total: 8000 }] });

describe('orders and questions', () => {
  it('answers "cek pesanan saya" with the cart while the order is still one', () => {
    assert.deepEqual(steps(cartView, text('cek pesanan saya', { intent: 'other', confidence: 0.3 }, { act: { act: 'order_status' } })), ['cart.show']);
    assert.deepEqual(steps(view({ stage: 'paying', hasOrder: true }), text('cek pesanan saya', { intent: 'other', confidence: 0.3 }, { act: { act: 'order_status' } })), ['order.status']);
  });
  it('keeps a payment method named in an order message for checkout', () => {
    const d = decide(view(), text('aqua 2, bayarnya qris aja', { intent: 'order', confidence: 0.9, items: [item('AQUA', 2)], payment_method: 'qris' }));
    assert.deepEqual(d.steps, [
      { do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 2 }], mode: 'set' },
      { do: 'payment.choose', method: 'qris', bank: null },
    ]);
    // Named in the cart without a product: remembered the same way (the act stage keeps it on the order).
    assert.deepEqual(steps(cartView, text('bayarnya transfer bca ya', { intent: 'choose_payment', confidence: 0.9, payment_method: 'va', bank: 'bca' })), ['payment.choose']);
  });
  it('takes the single product of a pack pair when asked which, and a cart line by a word of its name', () => {
    const pending = { kind: 'ambiguity' as const, mention: 'pulpen standard', quantity: 2, candidates: ['HTM', 'BRU', 'HTM12'], names: ['Pulpen Standard Hitam 0,5 mm', 'Pulpen Standard Biru 0,5 mm', 'Pulpen Standard Hitam 1 Lusin (isi 12)'] };
    assert.deepEqual(decide(view({ pending }), text('yg hitam')).steps, [{ do: 'cart.set', lines: [{ sku: 'HTM', quantity: 2 }], mode: 'set' }]);
    assert.deepEqual(decide(view({ pending }), text('yg hitam lusin')).steps, [{ do: 'cart.set', lines: [{ sku: 'HTM12', quantity: 2 }], mode: 'set' }]);
    const pets = view({ stage: 'cart', hasOrder: true, cart: [
      { sku: 'RC-2', name: 'Royal Canin Kitten 2 kg', quantity: 1, line_total: 285000 },
      { sku: 'RC-PCH', name: 'Royal Canin Kitten Pouch 85 g', quantity: 6, line_total: 132000 },
    ] });
    assert.deepEqual(decide(pets, text('pouchnya 4 aja')).steps, [{ do: 'cart.set', lines: [{ sku: 'RC-PCH', quantity: 4 }], mode: 'set' }]);
    assert.notDeepEqual(steps(pets, text('kittennya 3')), ['cart.set'], 'a word of every line names none');
  });
  it('does not ask about a name the same message ordered, and answers a question about a cart line', () => {
    const d = decide(view(), text('renovasi kamar mandi, keramik kamar mandi 4', {
      intent: 'order', confidence: 0.6, items: [{ ...item('KRM', 4), mention: 'keramik kamar mandi' }], unknown: [{ mention: 'kamar mandi', suggestions: ['WMS', 'KRM'] }],
    }));
    assert.deepEqual(d.steps, [{ do: 'cart.set', lines: [{ sku: 'KRM', quantity: 4 }], mode: 'set' }]);
    const kloset = view({ stage: 'cart', hasOrder: true, cart: [{ sku: 'KLS', name: 'Kloset Jongkok Ina Putih', quantity: 1, line_total: 185000 }] });
    const q = decide(kloset, text('klosetnya warna putih kan pak?', { intent: 'ask_product', confidence: 0.6, unknown: [{ mention: 'klosetnya', suggestions: ['KLS', 'KLS-DDK'] }] }));
    assert.deepEqual(q.steps, [{ do: 'products.answer', skus: ['KLS'] }]);
  });
  it('adds confident items and asks before adding unsure ones', () => {
    const d = decide(view(), text('aqua 2 indomi 1', { intent: 'order', confidence: 0.9, items: [item('AQUA', 2), item('INDOMIE', 1, CONFIRM_BELOW - 0.1)] }));
    assert.deepEqual(d.steps, [
      { do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 2 }], mode: 'set' },
      { do: 'cart.propose', lines: [{ sku: 'INDOMIE', quantity: 1, mention: 'indomie' }], mode: 'set' },
    ]);
  });
  it('hands the words each product was read from to the act stage, and calls a low-confidence name in a question not sold', () => {
    const d = decidePolicy(view(), text('nasi kuning 2', { intent: 'order', confidence: 0.9, items: [{ ...item('NASI', 2), mention: 'nasi' }] }));
    assert.deepEqual((d.steps[0] as any).check, { text: 'nasi kuning 2', mentions: { NASI: 'nasi' } });
    const q = decide(view(), text('ada bodrexin?', { intent: 'ask_product', confidence: 0.75, items: [{ ...item('BODREX', 1, CONFIRM_BELOW - 0.1), mention: 'bodrexin' }] }));
    assert.deepEqual(q.steps, [{ do: 'products.not_sold', mention: 'bodrexin', suggestions: ['BODREX'], text: 'ada bodrexin?', question: true }]);
  });
  it('calls off a line, not the order, when "ga jadi" names a product of the cart', () => {
    const two = view({ stage: 'cart', hasOrder: true, cart: [...cartView.cart, { sku: 'STABILO', name: 'Stabilo', quantity: 2, line_total: 19000 }] });
    const d = decide(two, text('stabilonya ga jadi', { intent: 'cancel', confidence: 0.6, unknown: [{ mention: 'stabilonya', suggestions: ['STABILO', 'STABILO-H'] }] }));
    assert.deepEqual(d.steps, [{ do: 'cart.remove', skus: ['STABILO'] }]);
    assert.deepEqual(steps(two, text('batal aja', { intent: 'cancel', confidence: 0.9 })), ['order.cancel']);
  });
  it('answers "which one?" by a word of one choice, keeping the quantity asked', () => {
    const pending = { kind: 'ambiguity' as const, mention: 'bakso', quantity: 2, candidates: ['BKS-HLS', 'BKS-URT'], names: ['Bakso Halus', 'Bakso Urat'] };
    assert.deepEqual(decide(view({ pending }), text('yg urat')).steps, [{ do: 'cart.set', lines: [{ sku: 'BKS-URT', quantity: 2 }], mode: 'set' }]);
    const read = text('yg urat', { intent: 'order', confidence: 0.6, items: [{ ...item('BKS-URT', 1, 0.6), quantityExplicit: false }] });
    assert.deepEqual(decide(view({ pending }), read).steps, [{ do: 'cart.set', lines: [{ sku: 'BKS-URT', quantity: 2 }], mode: 'set' }]);
    assert.notDeepEqual(steps(view({ pending }), text('yg bakso')), ['cart.set']);
  });
  it('confirms the whole reading when the overall confidence is low', () => {
    assert.deepEqual(steps(view(), text('itu yg kmrn 2', { intent: 'order', confidence: 0.4, items: [item('AQUA', 2)] })), ['cart.propose']);
  });
  it('answers a question about a product and adds nothing', () => {
    assert.deepEqual(steps(view(), text('aqua berapa?', { intent: 'ask_product', confidence: 0.85, items: [item('AQUA', 1)] })), ['products.answer']);
  });
  it('lists the products for a need and says what is not sold', () => {
    assert.deepEqual(decide(view(), text('obat pusing', { matches: ['PCT', 'BODREX'] })).steps, [{ do: 'products.list', mention: 'obat pusing', skus: ['PCT', 'BODREX'] }]);
    assert.deepEqual(steps(view(), text('sampo clear 2', { intent: 'order', unknown: [{ mention: 'sampo clear', suggestions: ['X'] }] })), ['products.not_sold']);
  });
  it('accepts or drops a proposal on a typed yes or no', () => {
    const pending = { kind: 'proposal' as const, lines: [{ sku: 'INDOMIE', quantity: 1 }], mode: 'set' as const };
    assert.deepEqual(decide(view({ pending }), text('iya kak', { intent: 'confirm', confidence: 0.8 })).steps, [{ do: 'cart.set', lines: pending.lines, mode: 'set' }]);
    assert.deepEqual(decide(view({ pending }), text('bukan')).steps, [{ do: 'say', what: { say: 'declined' } }]);
    // Without a proposal, "ya" on a cart confirms the order.
    assert.deepEqual(steps(cartView, text('ya', { intent: 'confirm', confidence: 0.8 })), ['order.confirm']);
  });
});

describe('places are not products', () => {
  it('tells a place the customer named from a product the parser read in it', () => {
    assert.equal(placeOf('aqua 2 kirim ke jalan mawar ya', 'mawar'), 'place');
    assert.equal(placeOf('kirim ke jalan raya mawar', 'mawar'), 'place');
    assert.equal(placeOf('antar ke tebet ya teh botol 2', 'tebet'), 'place');
    assert.equal(placeOf('antar ke tebet ya teh botol 2', 'teh botol'), undefined);
    assert.equal(placeOf('sabun mawar 2', 'mawar'), undefined);
    assert.equal(placeOf('aqua 2 ke mawar', 'mawar'), 'maybe');
  });
  it('keeps a product read inside a street name out of the cart, and asks about one after "ke"', () => {
    const mawar = { ...item('SBN-MWR', 1), mention: 'mawar', quantityExplicit: false };
    const d = decide(view(), text('aqua 2 kirim ke jalan mawar ya', { intent: 'order', confidence: 0.9, items: [item('AQUA', 2), mawar] }));
    assert.deepEqual(d.steps, [{ do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 2 }], mode: 'set' }]);
    assert.deepEqual(steps(view(), text('aqua 2 ke mawar', { intent: 'order', confidence: 0.9, items: [item('AQUA', 2), mawar] })), ['cart.set', 'cart.propose']);
  });
});

describe('cart commands', () => {
  it('adds to the line with "tambah", empties and shows the cart', () => {
    assert.deepEqual(decide(cartView, text('tambah aqua 2', { intent: 'order', confidence: 0.9, items: [item('AQUA', 2)] })).steps, [{ do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 2 }], mode: 'add' }]);
    assert.deepEqual(steps(cartView, text('hapus semua', { intent: 'cancel', confidence: 0.5 })), ['cart.clear']);
    assert.deepEqual(steps(cartView, text('cek keranjang')), ['cart.show']);
    assert.deepEqual(decide(view(), text('cek keranjang')).steps, [{ do: 'say', what: { say: 'cart_empty' } }]);
  });
  it('replaces a line, keeping its quantity unless a new one is said', () => {
    const replace = { from: ['AQUA'], fromMention: 'aqua', to: { sku: 'TEH', quantity: 1, explicit: false, score: 1 } };
    assert.deepEqual(decide(cartView, text('ganti aqua jadi teh botol', {}, { replace })).steps, [{ do: 'cart.replace', from: 'AQUA', to: { sku: 'TEH', quantity: 2 } }]);
    const notThere = { ...replace, from: ['POCARI'] };
    // Not a line of the cart as read: the act stage looks for the line by its name before saying so.
    assert.deepEqual(decide(cartView, text('ganti pocari jadi teh botol', {}, { replace: notThere })).steps, [
      { do: 'cart.replace_variant', fromMention: 'aqua', fromSkus: ['POCARI'], toText: 'teh botol', to: { sku: 'TEH', quantity: 1, explicit: false } },
    ]);
    const sizeOnly = { from: ['AQUA'], fromMention: 'aquanya' };
    const act = { act: 'replace' as const, from: 'aquanya', to: 'yg 1500ml' };
    assert.deepEqual(decide(cartView, text('ganti aquanya jadi yg 1500ml', {}, { replace: sizeOnly, act })).steps, [
      { do: 'cart.replace_variant', fromMention: 'aquanya', fromSkus: ['AQUA'], toText: 'yg 1500ml' },
    ]);
  });
});

describe('following up on what the bot just showed', () => {
  it('orders the product just asked about on "mau 2" or "yes", and replaces the last line on "ganti jadi Y"', () => {
    const pending = { kind: 'asked' as const, skus: ['POCARI'] };
    assert.deepEqual(decide(view({ pending }), text('mau 2')).steps, [{ do: 'cart.set', lines: [{ sku: 'POCARI', quantity: 2 }], mode: 'set' }]);
    assert.deepEqual(decide(view({ pending }), text('yes', { intent: 'confirm', confidence: 0.8 })).steps, [{ do: 'cart.set', lines: [{ sku: 'POCARI', quantity: 1 }], mode: 'set' }]);
    assert.deepEqual(steps(view({ pending: { kind: 'asked', skus: ['A', 'B'] } }), text('mau 2')), ['cart.choose']);
    const two = view({ stage: 'cart', hasOrder: true, cart: [{ sku: 'PCT', name: 'Paracetamol', quantity: 2, line_total: 10_000 }, { sku: 'AQUA', name: 'Aqua', quantity: 1, line_total: 4000 }] });
    const replace = { from: [], fromMention: '', last: true, to: { sku: 'POCARI', quantity: 1, explicit: false, score: 1 } };
    assert.deepEqual(decide(two, text('eh ganti jadi pocari', {}, { replace })).steps, [{ do: 'cart.replace', from: 'AQUA', to: { sku: 'POCARI', quantity: 1 } }]);
  });
});

describe('needs and follow-up questions', () => {
  it('does not call a need "not sold", and answers a follow-up about the product just shown', () => {
    assert.deepEqual(decide(view(), text('mau beli obat sakit kepala', { intent: 'order', confidence: 0.4 }, { unmatched: 'obat sakit kepala' })).steps, [{ do: 'say', what: { say: 'need_not_found', need: 'obat sakit kepala' } }]);
    assert.deepEqual(decide(view({ pending: { kind: 'asked', skus: ['MASKER'] } }), text('berapa isinya')).steps, [{ do: 'products.answer', skus: ['MASKER'] }]);
    // Other questions are not about the product just shown.
    assert.deepEqual(steps(view({ pending: { kind: 'asked', skus: ['MASKER'] }, stage: 'fulfilment', hasOrder: true }), text('kapan sampai?', { intent: 'order_status', confidence: 0.85 })), ['order.status']);
  });
});

describe('corrections', () => {
  it('keeps the quantity of a line named again without a number, and a bare number corrects the last line', () => {
    const again = { ...item('AQUA', 1), quantityExplicit: false };
    assert.deepEqual(decide(cartView, text('aqua aja', { intent: 'order', confidence: 0.75, items: [again] })).steps, [{ do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 2 }], mode: 'set' }]);
    assert.deepEqual(decide(cartView, text('eh 3 deh')).steps, [{ do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 3 }], mode: 'set' }]);
    assert.deepEqual(decide(cartView, text('tambah 1 lagi')).steps, [{ do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 1 }], mode: 'add' }]);
  });
  it('takes the look-alike already in the cart as the one meant, and asks when none or two are there', () => {
    const aquas = { mention: 'aquanya', quantity: 4, candidates: ['AQUA', 'AQUA-1500'] };
    assert.deepEqual(decide(cartView, text('eh aquanya 4 deh', { intent: 'order', confidence: 0.8, ambiguous: [aquas] })).steps, [{ do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 4 }], mode: 'set' }]);
    assert.deepEqual(decide(cartView, text('aquanya aja', { intent: 'order', confidence: 0.8, ambiguous: [{ ...aquas, quantity: 1 }] })).steps, [{ do: 'cart.set', lines: [{ sku: 'AQUA', quantity: 2 }], mode: 'set' }]);
    assert.deepEqual(steps(view(), text('aqua 4', { intent: 'order', confidence: 0.8, ambiguous: [aquas] })), ['cart.choose']);
    const both = view({ stage: 'cart', hasOrder: true, cart: [...cartView.cart, { sku: 'AQUA-1500', name: 'Aqua 1500', quantity: 1, line_total: 7000 }] });
    assert.deepEqual(steps(both, text('aqua 4', { intent: 'order', confidence: 0.8, ambiguous: [aquas] })), ['cart.choose']);
  });
  it('answers pieces of one unknown name once, with the number typed on its own', () => {
    const sug = ['TRP-3', 'TRP-12', 'TRP-9'];
    const d = decide(cartView, text('tambah triplek 12mm 3 lembar', { intent: 'order', confidence: 0.5, unknown: [{ mention: 'triplek', suggestions: sug }, { mention: 'mm', suggestions: [...sug].reverse() }] }));
    assert.deepEqual(d.steps, [{ do: 'products.not_sold', mention: 'triplek', suggestions: sug, quantity: 3, text: 'tambah triplek 12mm 3 lembar' }]);
    const two = decide(view(), text('sepatu 2 sama sandal', { intent: 'order', confidence: 0.5, unknown: [{ mention: 'sepatu', suggestions: [] }, { mention: 'sandal', suggestions: [] }] }));
    assert.deepEqual(two.steps.map((s) => (s as any).mention), ['sepatu', 'sandal']);
    assert.ok(two.steps.every((s) => !('quantity' in s)));
  });
  it('replaces only after "yes" when the new product is read with low confidence', () => {
    const replace = { from: ['AQUA'], fromMention: 'aqua', to: { sku: 'POCARI', quantity: 1, explicit: false, score: CONFIRM_BELOW - 0.1 } };
    const d = decide(cartView, text('ganti aqua jadi pocar', {}, { replace }));
    assert.deepEqual(d.steps, [{ do: 'cart.propose', lines: [{ sku: 'POCARI', quantity: 2, mention: 'aqua' }], mode: 'set', replaces: 'AQUA' }]);
    const pending = { kind: 'proposal' as const, lines: [{ sku: 'POCARI', quantity: 2 }], mode: 'set' as const, replaces: 'AQUA' };
    assert.deepEqual(decide({ ...cartView, pending }, text('ya', { intent: 'confirm', confidence: 0.8 })).steps, [{ do: 'cart.replace', from: 'AQUA', to: { sku: 'POCARI', quantity: 2 } }]);
  });
});

describe('answers that need no order', () => {
  it('answers payment questions with what the shop accepts', () => {
    const d = decide(view(), text('COD bisa?'));
    assert.deepEqual(d.steps, [{ do: 'say', what: { say: 'payment_answer', topic: 'cod', wallet: undefined, options: view().payments } }]);
  });
  it('answers store facts and refuses a cart below the minimum order', () => {
    const facts = { opening_hours: '08.00–21.00', minimum_order: 20_000 };
    assert.deepEqual(decide(view({ facts }), text('buka jam berapa')).steps, [{ do: 'say', what: { say: 'store_fact', fact: 'hours', place: undefined, facts } }]);
    const below = decide({ ...cartView, facts }, { kind: 'button', action: { kind: 'confirm' } });
    assert.deepEqual(below.steps.map((s) => s.do), ['say', 'cart.show']);
    assert.deepEqual((below.steps[0] as any).what, { say: 'below_minimum', minimum: 20_000, subtotal: 8000 });
    assert.deepEqual(steps({ ...cartView, facts: { minimum_order: 8000 } }, { kind: 'button', action: { kind: 'confirm' } }), ['order.confirm']);
  });
  it('answers a question with a kind word in it as a question, not as a compliment', () => {
    const q = text('obat pusing yang bagus apa ya kak?', { intent: 'ask_product', confidence: 0.6, matches: ['PANADOL'] });
    assert.deepEqual(steps(view(), q), ['products.answer']);
    const none = text('obat pusing yang bagus apa ya kak?', { intent: 'ask_product', confidence: 0.6 }, { unmatched: 'obat pusing' });
    assert.notDeepEqual(decide(view(), none).steps, [{ do: 'say', what: { say: 'compliment' } }]);
  });
  it('greets, thanks, and says when the catalog is empty', () => {
    assert.deepEqual(steps(view(), text('haloo apotek')), ['greet']);
    assert.deepEqual(decide(view(), text('halo', { intent: 'greeting' }, { catalogEmpty: true })).steps, [{ do: 'say', what: { say: 'empty_catalog' } }]);
    assert.deepEqual(decide(view(), text('makasih kak')).steps, [{ do: 'say', what: { say: 'thanks' } }]);
  });
  it('reports the order status and hands over to a person with the question', () => {
    assert.deepEqual(steps(view({ stage: 'fulfilment', hasOrder: true }), text('kurirnya udah jalan?')), ['order.status']);
    assert.deepEqual(decide(view(), text('tolong hubungi saya')).steps, [{ do: 'handover', question: 'tolong hubungi saya' }]);
  });
});

describe('messages the bot cannot read', () => {
  it('says so once, then offers the menu and a person, keeping the question', () => {
    const first = decide(view(), text('zxcv qwer'));
    assert.deepEqual(first.steps, [{ do: 'say', what: { say: 'did_not_understand' } }]);
    assert.equal(first.misread, true);
    assert.equal(first.unanswered, 'zxcv qwer');
    const second = decide(view({ misreads: MISREADS_BEFORE_HELP - 1 }), text('bisa minta faktur pajak'));
    assert.deepEqual(second.steps, [{ do: 'help.offer' }]);
  });
  it('offers what a plain search finds instead of guessing', () => {
    assert.deepEqual(steps(view(), text('yg merah itu', {}, { search: [{ sku: 'X', score: 0.8 }] })), ['cart.choose']);
  });
});
