// The server's response shapes and the wire format's event tags, imported from their one definition.
export { BATCH_FRAMES_CONTENT_TYPE, BATCH_FRAME_HEADER_BYTES } from '../../../server/src/api-types';
export type {
  ApiErrorBody,
  ApiErrorCode,
  BatchSummary,
  CreatedSite,
  HeatmapCell,
  HeatmapData,
  HeatmapDevice,
  HeatmapElement,
  HeatmapElementList,
  HeatmapElementSession,
  HeatmapElementSessionList,
  HeatmapKind,
  HeatmapPage,
  HeatmapPageList,
  HeatmapScroll,
  HeatmapSnapshot,
  PageSummary,
  SessionBatchList,
  SessionDetail,
  SessionList,
  SessionSummary,
  SessionTimeline,
  Site,
  SiteList,
  TimelineEntry,
  TimelineKind,
} from '../../../server/src/api-types';
export { HEATMAP_DEVICES, HEATMAP_KINDS, TIMELINE_KINDS } from '../../../server/src/api-types';
export { CUSTOM_EVENT_TAGS, MAX_BATCH_INFLATED_BYTES } from '../../../recorder/src/wire/format';
export type { eventWithTime } from '@rrweb/types';
// Conversion impact: goals, funnels, the ranking and its CSV (the same rows as GET /api/impact?format=csv).
export { GOAL_KINDS } from '../../../server/src/api-types';
export { impactCsv } from '../../../server/src/conversions/impact-csv';
export type {
  ConversionRate,
  Deleted,
  Funnel,
  FunnelFrictionRow,
  FunnelInput,
  FunnelList,
  FunnelReport,
  FunnelSessionList,
  FunnelStep,
  FunnelStepReport,
  Goal,
  GoalInput,
  GoalJobStatus,
  GoalKind,
  GoalList,
  ImpactReport,
  ImpactSessionList,
  Opportunity,
  ReplayMoment,
  SegmentRate,
} from '../../../server/src/api-types';
// The session list's and friction overview's vocabulary.
export { FRICTION_TYPES, SESSION_DEVICE_CLASSES, SESSION_SORTS } from '../../../server/src/api-types';
export type {
  FrictionSummary,
  FrictionTimeseries,
  FrictionType,
  SessionDeviceClass,
  SessionSort,
  WatchedMark,
} from '../../../server/src/api-types';
// Abandoned forms: the ranking, one form's field drop-off, and its abandoning sessions.
export type { FormAbandonment, FormAbandonmentList, FormDropOff, FormFieldDropOff, FormList, FormSummary } from '../../../server/src/api-types';
// Signing in and deleting recordings.
export type { AuthSession, DeletedUserSessions, SignedOut } from '../../../server/src/api-types';
export { MAX_RETENTION_DAYS } from '../../../server/src/retention/retention-period';
