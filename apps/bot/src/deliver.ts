import type { Wechaty } from 'wechaty'
import type { Delivery } from '@chorus/conversation'

/** Sends a stored reply to its WeChat group (mentioning the asker) or private chat. */
export async function deliverToWeChat(bot: Wechaty, delivery: Delivery): Promise<void> {
  if (delivery.channel.kind === 'wechat_group') {
    const room = await bot.Room.find({ id: delivery.channel.externalId })
    if (!room) throw new Error('the group is gone or the account left it')
    const asker = delivery.asker ? await bot.Contact.find({ id: delivery.asker.platformId }) : undefined
    if (asker) await room.say(delivery.text, asker)
    else await room.say(delivery.text)
    return
  }
  if (delivery.channel.kind === 'wechat_private') {
    const contact = await bot.Contact.find({ id: delivery.channel.externalId })
    if (!contact) throw new Error('the contact is gone')
    await contact.say(delivery.text)
    return
  }
  throw new Error(`the WeChat bot cannot deliver to a ${delivery.channel.kind} channel`)
}
