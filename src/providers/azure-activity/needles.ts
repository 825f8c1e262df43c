/**
 * Byte needles for the scanner's prefilter (see `Provider.needles`). Needles are
 * case-sensitive, but Azure writes operation names in several cases: camelCase from the
 * API and CLI (`deallocate`, `powerOff`), UPPER CASE in storage exports and Log Analytics
 * (`DEALLOCATE`, `POWEROFF`), lower case from some tools (`poweroff`), and title case in
 * localized labels (`Deallocate Virtual Machine`, `Power Off Virtual Machine`). The lists
 * hold infixes that cover those casings.
 *
 * Limitation: a record whose operation name uses some other mixed case (`DeAllocate`,
 * `POWERoff`) would be skipped by the prefilter although `normalize` reads it; no Azure
 * writer is known to emit such names. A scan without the prefilter reads them.
 */
export const STOP_NEEDLES: readonly string[] = [
  'eallocate', // deallocate, Deallocate
  'EALLOCATE',
  'owerOff', // powerOff, PowerOff
  'oweroff', // poweroff, Poweroff
  'OWEROFF',
  'ower Off', // "Power Off Virtual Machine" (localized label)
];

/** Every event comes from a VM, scale-set or logging-settings operation. */
export const ALL_NEEDLES: readonly string[] = [
  ...STOP_NEEDLES,
  'irtualMachine', // virtualMachines, virtualMachineScaleSets, VirtualMachines
  'IRTUALMACHINE',
  'irtualmachine',
  'iagnosticSettings',
  'IAGNOSTICSETTINGS',
  'iagnosticsettings',
  'ogProfiles',
  'OGPROFILES',
  'ogprofiles',
];
