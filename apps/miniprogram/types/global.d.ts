/// <reference types="@tarojs/taro" />

declare module '*.css'

/** Where the API's /mp/v1 routes are ('' is the page's own origin); set at build time from CHORUS_MP_API_BASE. */
declare const CHORUS_MP_API_BASE: string
/** The subscription message template offered on handoff (weapp only; '' offers none); from CHORUS_MP_SUBSCRIBE_TEMPLATE_ID. */
declare const CHORUS_MP_SUBSCRIBE_TEMPLATE_ID: string
