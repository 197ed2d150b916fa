/**
 * What every variant file exports. A variant is a choice the protocol allows and the reference runtime makes
 * differently; `allowedBy` quotes the brief sentence or names the recorded fixture that makes it legitimate.
 */
export interface VariantDef {
  readonly name: string;
  readonly description: string;
  readonly allowedBy: string;
}
