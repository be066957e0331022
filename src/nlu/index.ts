export type { CatalogProduct, Intent, Bank, NluItem, NluAmbiguity, NluResult, PaymentMethod } from './types.js';
export { INTENTS, BANKS } from './types.js';
export type { CatalogIndex } from './catalog-index.js';
export { buildCatalogIndex } from './catalog-index.js';
export { parseMessage } from './parse.js';
export { searchProducts } from './search.js';
export { detectLanguage } from './language.js';
export { parseWithLlm, shouldAskLlm, type LlmConfig } from './llm.js';
