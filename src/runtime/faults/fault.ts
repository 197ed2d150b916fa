/** What every fault file exports: its name, the requirement id it breaks, and one line on the defect. */
export interface FaultDef {
  readonly name: string;
  readonly breaks: string;
  readonly description: string;
}
