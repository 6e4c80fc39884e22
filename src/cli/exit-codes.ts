/** DESIGN.md §5: as Terraform does. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
/** Changes or drift present (only with --detailed-exitcode). */
export const EXIT_CHANGES = 2;
