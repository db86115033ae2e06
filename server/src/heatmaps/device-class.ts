// The device class a viewport width belongs to: mobile under 768 px, tablet under 1024 px, desktop otherwise.
import type { HeatmapDevice } from '../api-types';
import { MOBILE_MAX_WIDTH_PX, TABLET_MAX_WIDTH_PX } from './heatmap-constants';

export function deviceClass(viewportWidth: number): HeatmapDevice {
  if (viewportWidth <= MOBILE_MAX_WIDTH_PX) return 'mobile';
  if (viewportWidth <= TABLET_MAX_WIDTH_PX) return 'tablet';
  return 'desktop';
}
