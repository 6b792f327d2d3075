/**
 * Screen-size switches of the agent workspace, read synchronously on the first render (no desktop flash on a phone):
 * `usePhone` below Mantine's `sm` (48em: the header menu becomes a drawer), `useCompact` below `md` (62em: the inbox
 * shows its views in a drawer, its filters in a bottom sheet and its rows as cards).
 */
import { useMediaQuery } from '@mantine/hooks';

export const usePhone = () => useMediaQuery('(max-width: 47.99em)', undefined, { getInitialValueInEffect: false });
export const useCompact = () => useMediaQuery('(max-width: 61.99em)', undefined, { getInitialValueInEffect: false });
