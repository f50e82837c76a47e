import { z } from 'zod'

/** A decrypted `kf_msg_or_event` callback: only a pull token and the account; the messages come from sync_msg. */
export const weComKfNotification = z.object({
  ToUserName: z.string(),
  CreateTime: z.coerce.number(),
  MsgType: z.literal('event'),
  Event: z.literal('kf_msg_or_event'),
  Token: z.string().min(1).max(256),
  OpenKfId: z.string().min(1).max(128),
})
export type WeComKfNotification = z.infer<typeof weComKfNotification>

/** Who wrote a pulled message: 3 the customer, 4 a system event, 5 a servicer (a person in WeCom). */
export const weComKfOrigin = { customer: 3, event: 4, servicer: 5 } as const

/** One message sync_msg returned; fields Chorus does not read pass through unchecked. */
export const weComKfMessage = z.looseObject({
  msgid: z.string().min(1).max(128),
  open_kfid: z.string().min(1),
  external_userid: z.string().optional(),
  send_time: z.number().int(),
  origin: z.number().int(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
  text: z.looseObject({ content: z.string(), menu_id: z.string().optional() }).optional(),
  event: z
    .looseObject({
      event_type: z.string(),
      open_kfid: z.string().optional(),
      external_userid: z.string().optional(),
      welcome_code: z.string().optional(),
    })
    .optional(),
})
export type WeComKfMessage = z.infer<typeof weComKfMessage>

/** sync_msg's answer; each message is checked on its own (`weComKfMessage`), so one of a new shape cannot stop the pull. */
export const syncMsgResponse = z.object({
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
  next_cursor: z.string().optional(),
  has_more: z.number().int().optional(),
  msg_list: z.array(z.unknown()).default([]),
})

/**
 * A session's state (service_state): 0 new, 1 with the smart assistant (the bot), 2 waiting in
 * the servicers' queue, 3 with a servicer, 4 ended. The bot may send only in 0 and 1.
 */
export const weComKfServiceState = { new: 0, assistant: 1, queued: 2, servicer: 3, ended: 4 } as const
