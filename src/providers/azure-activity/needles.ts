/**
 * Byte needles for the scanner's prefilter (see `Provider.needles`), matched with ASCII
 * letters in either case (`anyCase`): Azure writes one operation name as `deallocate` (API,
 * CLI), `DEALLOCATE` (storage exports, Log Analytics), `poweroff` (some tools) and `Power
 * Off Virtual Machine` (localized labels), and the provider reads any case, so the
 * prefilter must let any case through too.
 */
export const STOP_NEEDLES: readonly string[] = ['deallocate', 'poweroff', 'power off'];

/** Every event comes from a VM, scale-set or logging-settings operation. */
export const ALL_NEEDLES: readonly string[] = [
  ...STOP_NEEDLES,
  'virtualmachine', // virtualMachines, virtualMachineScaleSets, VIRTUALMACHINES
  'diagnosticsettings',
  'logprofiles',
];
