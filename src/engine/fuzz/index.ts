/**
 * The fuzz driver's public face for the FUZZ checks (suites import the engine, never fuzz/ directly): the
 * properties, the stateful model, the differential oracle, the abuse scenarios and the corpus.
 */
export { checkProperty, type PropertyOptions } from './driver.js';
export { CORPUS_DIR, captureCounterexamples, loadCorpus, saveCorpusEntry, type CorpusEntry, type CorpusRequest } from './corpus.js';
export { fuzzRequests, fuzzDenialsLeaveNoState, no5xx, wellFormed, noLeak } from '../../../fuzz/properties.js';
export { fuzzLifecycleModel } from '../../../fuzz/model.js';
export { fuzzDifferential } from '../../../fuzz/differential.js';
export { fuzzAbuse } from '../../../fuzz/abuse.js';
export { replayCorpus } from '../../../fuzz/corpus-replay.js';
